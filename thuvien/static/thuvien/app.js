// Small behaviours that must work without inline scripts (the Content Security Policy forbids them).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.requestSubmit();
  }
});

// Forms (or their buttons) that change something hard to undo ask first: data-confirm="Question?".
// With data-confirm-if-filled="name …" they ask only when one of those fields holds something: an
// empty form has nothing to lose or send, and the server answers with the field to fill.
const holdsSomething = (form, names) =>
  names.split(/\s+/).some((name) => {
    const field = form.elements.namedItem(name);
    if (field instanceof HTMLInputElement && field.type === "file") return field.files.length > 0;
    if (!field || !("value" in field)) return false;
    return String(field.value).replace(/<[^>]*>|&nbsp;/g, "").trim() !== "";
  });

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const button = event.submitter;
  const asker = button instanceof HTMLElement && button.dataset.confirm ? button : form;
  const question = asker.dataset.confirm;
  if (!question) return;
  const onlyIf = asker.dataset.confirmIfFilled;
  if (onlyIf && !holdsSomething(form, onlyIf)) return;
  if (!window.confirm(question)) event.preventDefault();
});
