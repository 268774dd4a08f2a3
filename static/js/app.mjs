// Starts GOV.UK Frontend's components. Every page works without this; it only enhances.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

initAll();
