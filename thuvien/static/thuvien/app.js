// Small behaviours that must work without inline scripts (the Content Security Policy forbids them).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});
