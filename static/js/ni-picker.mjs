// The National Indicator picker: enhances a <select multiple data-module="app-ni-picker"> with
// accessible-autocomplete (vendored in static/vendor/accessible-autocomplete/).
//
// Without JavaScript the plain select works. With it, the select is hidden and kept in step with
// what the user sees: a list of the chosen indicators, each with a "Remove" button, and an
// "Add a National Indicator" autocomplete. Choosing an indicator selects its option; Remove
// deselects it; so the form posts exactly what the plain select would. The autocomplete takes the
// select's id, so the label, the error summary's link and GOV.UK Frontend's focus still land on it.
// The vendored script and stylesheet are loaded only on a page that has a picker.

const VENDOR = new URL("../vendor/accessible-autocomplete/", import.meta.url);
const SELECTOR = 'select[multiple][data-module="app-ni-picker"]';
let loading = null;

function loadStylesheet() {
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("accessible-autocomplete.min.css", VENDOR).href;
    link.addEventListener("load", resolve);
    link.addEventListener("error", resolve); // unstyled is still usable
    document.head.append(link);
  });
}

function loadAutocomplete() {
  if (!loading) {
    loading = Promise.all([
      import(new URL("accessible-autocomplete.min.js", VENDOR).href),
      loadStylesheet(),
    ]).then(() => self.accessibleAutocomplete);
  }
  return loading;
}

function escapeHtml(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

/** The options matching what was typed: every word typed appears in "NI 112 Under 18 conception
 * rate"; a number typed on its own puts the indicator with that number first. */
function matches(options, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const found = options.filter((o) => words.every((w) => o.search.includes(w)));
  const number = query.trim().replace(/^ni\s*/i, "");
  return found.sort((a, b) => (b.value === number) - (a.value === number) || a.number - b.number);
}

function enhance(select, accessibleAutocomplete) {
  if (select.dataset.enhanced) return;
  select.dataset.enhanced = "true";
  const id = select.id;
  const group = select.closest(".govuk-form-group") || select.parentElement;
  const label = group.querySelector(`label[for="${id}"]`);
  const hint = document.getElementById(`${id}_hint`);
  const describedBy = (select.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  const invalid = select.getAttribute("aria-invalid") === "true";

  // The select keeps its name (it is what the form posts) but gives its id to the autocomplete.
  select.id = `${id}-select`;
  select.hidden = true;
  select.setAttribute("aria-hidden", "true");
  select.tabIndex = -1;
  if (label) {
    label.htmlFor = select.id;
    label.id = `${id}-label`;
  }
  if (hint && select.dataset.enhancedHint) hint.textContent = select.dataset.enhancedHint;

  const options = Array.from(select.options).map((option) => ({
    option,
    value: option.value,
    number: Number(option.value),
    label: option.textContent.trim(),
    search: option.textContent.trim().toLowerCase(),
  }));
  const byLabel = new Map(options.map((o) => [o.label, o]));

  const picker = element("div", "app-ni-picker");
  picker.setAttribute("role", "group");
  if (label) picker.setAttribute("aria-labelledby", label.id);
  const chosenHeading = element("p", "govuk-body govuk-!-margin-bottom-1", "Chosen for this priority:");
  chosenHeading.id = `${id}-chosen-heading`;
  const chosen = element("ul", "govuk-list app-ni-picker__chosen");
  chosen.setAttribute("aria-labelledby", chosenHeading.id);
  const none = element("p", "govuk-body app-ni-picker__none", "No National Indicators chosen yet.");
  const addLabel = element("label", "govuk-label app-ni-picker__add-label", "Add a National Indicator");
  addLabel.htmlFor = id;
  const container = element("div", "app-ni-picker__autocomplete");
  const status = element("div", "govuk-visually-hidden");
  status.setAttribute("aria-live", "polite");
  status.id = `${id}-picker-status`;
  picker.append(chosenHeading, chosen, none, addLabel, container, status);
  select.after(picker);

  function announce(text) {
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 50);
  }

  function render() {
    const selected = options.filter((o) => o.option.selected);
    chosen.replaceChildren(
      ...selected.map((o) => {
        const item = element("li", "app-ni-picker__item");
        const button = element("button", "app-link-button app-ni-picker__remove", "Remove");
        button.type = "button";
        button.dataset.value = o.value;
        button.append(element("span", "govuk-visually-hidden", ` ${o.label}`));
        item.append(element("span", "app-ni-picker__name", o.label), " ", button);
        return item;
      }),
    );
    chosenHeading.hidden = chosen.hidden = !selected.length;
    none.hidden = Boolean(selected.length);
  }

  function input() {
    return document.getElementById(id);
  }

  chosen.addEventListener("click", (event) => {
    const button = event.target.closest("button.app-ni-picker__remove");
    if (!button) return;
    const o = options.find((x) => x.value === button.dataset.value);
    const buttons = Array.from(chosen.querySelectorAll("button.app-ni-picker__remove"));
    const index = buttons.indexOf(button);
    o.option.selected = false;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    render();
    const left = chosen.querySelectorAll("button.app-ni-picker__remove");
    (left[Math.min(index, left.length - 1)] || input()).focus();
    announce(`${o.label} removed`);
  });

  accessibleAutocomplete({
    element: container,
    id,
    name: `${select.name}-search`,
    minLength: 1,
    confirmOnBlur: false,
    displayMenu: "overlay",
    inputClasses: invalid ? "app-ni-picker__input--error" : null,
    source(query, populate) {
      populate(matches(options, query).filter((o) => !o.option.selected).map((o) => o.label));
    },
    templates: {
      inputValue: (value) => value || "",
      suggestion: (value) => escapeHtml(value || ""),
    },
    tNoResults: () => "No National Indicator matches",
    onConfirm(value) {
      const o = value && byLabel.get(value);
      if (!o) return;
      o.option.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      render();
      announce(`${o.label} added`);
      // Empty the box for the next one (the component reads what is typed from the input event).
      window.setTimeout(() => {
        const box = input();
        box.value = "";
        box.dispatchEvent(new Event("input", { bubbles: true }));
      }, 0);
    },
  });

  // The component sets the input's aria-describedby to its own assistive hint; keep the field's
  // hint and error message in it too, as on every other field.
  const box = input();
  if (invalid) box.setAttribute("aria-invalid", "true");
  const keepDescribedBy = () => {
    const current = (box.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    const wanted = [...describedBy, ...current.filter((x) => !describedBy.includes(x))];
    if (wanted.join(" ") !== current.join(" ")) box.setAttribute("aria-describedby", wanted.join(" "));
  };
  keepDescribedBy();
  new MutationObserver(keepDescribedBy).observe(box, { attributes: true, attributeFilter: ["aria-describedby"] });
  render();
}

/** Enhance every picker in ``root`` (the document, or content htmx has just put in the page). */
export function initNiPickers(root = document) {
  const selects = [];
  if (root.matches?.(SELECTOR)) selects.push(root);
  selects.push(...(root.querySelectorAll?.(SELECTOR) || []));
  const todo = selects.filter((s) => !s.dataset.enhanced);
  if (!todo.length) return Promise.resolve();
  return loadAutocomplete()
    .then((accessibleAutocomplete) => {
      todo.forEach((select) => {
        const { id } = select;
        try {
          enhance(select, accessibleAutocomplete);
        } catch (error) {
          // Put the plain select back rather than leave the user without one.
          select.nextElementSibling?.classList.contains("app-ni-picker") && select.nextElementSibling.remove();
          Object.assign(select, { id, hidden: false, tabIndex: 0 });
          select.removeAttribute("aria-hidden");
          const label = document.getElementById(`${id}-label`);
          if (label) label.htmlFor = id;
          console.error("The National Indicator picker could not start", error);
        }
      });
    })
    .catch(() => {
      loading = null; // the plain select stays in use; the next swap tries again
    });
}
