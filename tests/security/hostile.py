"""What the hostile-input tests push through the portal, and how they read a page back.

``hostile_text()`` is a hypothesis strategy for text a careless or malicious user might submit: very
long, control characters and NUL, HTML and ``<script>``, right-to-left marks, SQL and template
fragments, and arbitrary Unicode. ``page_forms(html)`` lists a page's forms and their fields (the
stdlib HTML parser, so nothing new is needed), which is how the tests find fields no matrix case posts.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from hypothesis import strategies as st

SCRIPT = '<script>alert("jisp-xss")</script>'
IMG = '<img src=x onerror=alert("jisp-img")>'
#: Raw strings that must never reach a page unescaped.
MARKERS = (SCRIPT, IMG, "</textarea><b>jisp-bold</b>")

FRAGMENTS = [
    *MARKERS,
    "\u202e",  # right-to-left override
    "\u200f\u200e\u2066\u2069",  # right-to-left and left-to-right marks and isolates
    "\ufeff\u200b",  # byte-order mark, zero-width space
    "'; DROP TABLE plans_jisp; --",
    '" OR "1"="1',
    "1 UNION SELECT password FROM accounts_user --",
    "\x00",
    "\x07\x08\x0b\x0c\x1b\x7f",
    "\r\n",
    "\t",
    "{{ request.user.password }}",
    "{% debug %}",
    "${7*7}",
    "%s%n%x",
    "../../../../etc/passwd",
    "javascript:alert(1)",
    "&amp;&lt;&#60;",
    "Ṱ̈́h̀e͞ ",
    "😀👩‍👩‍👧",
    "ﷺ",
    "  ",
]

#: Every fragment at once, with and without NUL (a NUL is refused by Django's CharField before anything
#: else could go wrong, so the second one is what reaches the services).
KITCHEN_SINK = "".join(FRAGMENTS)
KITCHEN_SINK_NO_NUL = KITCHEN_SINK.replace("\x00", "")

_fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20))
hostile_text = st.one_of(
    st.lists(_fragment, min_size=1, max_size=8).map("".join),
    st.text(min_size=1, max_size=60),
    # very long: one fragment repeated to between 5 000 and 60 000 characters
    st.builds(
        lambda piece, n: (piece * n)[:60_000], st.sampled_from([*FRAGMENTS[:3], "x", "é"]), st.integers(200, 2000)
    ),
)


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict = field(default_factory=dict)  # name -> kind (input type, "textarea", "select")


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = PageForm(method=(a.get("method") or "get").lower(), action=a.get("action") or "")
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = (a.get("type") or "text").lower() if tag == "input" else tag
            self._current.fields.setdefault(a["name"], kind)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def page_forms(html):
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


#: Field kinds a user types into or a browser submits as text (files are tested in test_uploads).
TEXT_KINDS = {"text", "textarea", "select", "hidden", "email", "search", "url", "tel", "password", "number", "date"}
NOT_FUZZED = {"csrfmiddlewaretoken"}


def fuzzable_fields(forms, method):
    names = []
    for form in forms:
        if form.method != method:
            continue
        for name, kind in form.fields.items():
            if kind in TEXT_KINDS and name not in NOT_FUZZED and name not in names:
                names.append(name)
    return names
