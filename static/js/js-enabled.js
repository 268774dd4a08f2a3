// Loaded first in <body>: marks the page as having JavaScript before GOV.UK Frontend starts.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
