// GOV.UK's timeout warning. The server signs a session out after SESSION_IDLE_TIMEOUT seconds
// without activity (accounts.sessions), with or without this script. With it, a modal dialog warns
// SESSION_IDLE_WARNING seconds before, counting down, and offers "Stay signed in" (a POST to
// session_keep_alive) or "Sign out". Before warning it asks the server how long is really left, so a
// session kept alive in another tab is not warned about. When the time is up it signs out and shows
// "You have been signed out".

function words(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function initSessionTimeout(root = document) {
  const dialog = root.querySelector('[data-module="app-session-timeout"]');
  if (!dialog || typeof dialog.showModal !== "function") return;
  const idle = Number(dialog.dataset.idleSeconds);
  const warning = Number(dialog.dataset.warningSeconds);
  const statusUrl = dialog.dataset.statusUrl;
  const countdown = dialog.querySelector(".app-timeout-dialog__countdown");
  const stay = dialog.querySelector(".app-timeout-dialog__form");
  const signOut = dialog.querySelector(".app-timeout-dialog__sign-out");
  let timer = null;
  let ticker = null;
  let deadline = 0;
  let returnFocus = null;

  function schedule(secondsLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, secondsLeft - warning) * 1000);
  }

  async function check() {
    let left = warning;
    try {
      const response = await fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      const data = await response.json();
      if (!data.signed_in) {
        signOut.submit();
        return;
      }
      left = data.seconds_left;
    } catch {
      // The server could not be asked: warn as planned.
    }
    if (left > warning + 5) {
      schedule(left); // kept alive elsewhere (another tab)
      return;
    }
    open(left);
  }

  function update() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = words(left);
    if (left <= 0) {
      clearInterval(ticker);
      signOut.submit();
    }
  }

  function open(left) {
    deadline = Date.now() + left * 1000;
    returnFocus = document.activeElement;
    update();
    dialog.showModal();
    ticker = setInterval(update, 1000);
  }

  function close(secondsLeft) {
    clearInterval(ticker);
    dialog.close();
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
    schedule(secondsLeft);
  }

  stay.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const response = await fetch(stay.action, {
        method: "POST",
        body: new FormData(stay),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
      const data = await response.json();
      if (!data.signed_in) throw new Error("signed out");
      close(data.seconds_left);
    } catch {
      stay.submit(); // the plain form: the server keeps the session and comes back here
    }
  });
  // Escape means "stay signed in", as in GOV.UK's pattern.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay.requestSubmit();
  });
  schedule(idle);
}
