// Starts GOV.UK Frontend's components and the portal's own enhancements. Every page works without
// this; it only enhances.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initNiPickers } from "./ni-picker.mjs";
import { initSessionTimeout } from "./session-timeout.mjs";

initAll();
initNiPickers(document);
initSessionTimeout(document);
// htmx puts forms in the page (the Annex 2 priority form, inline): enhance what each swap brings.
document.addEventListener("htmx:load", (event) => initNiPickers(event.target));
