// Forms that help: after an error the page opens on the first invalid field, with its error in
// view. Forms rendered by includes/form_fields.html mark that field `autofocus` (the browser, or
// htmx after a swap, focuses it); fields a template renders by hand carry only
// aria-invalid="true" (Django's, or the template's). This script focuses the first of those when
// nothing holds the focus, and brings the focused field to the middle of the screen so that the
// error under it shows too. A static file: the Content Security Policy forbids inline scripts.
(() => {
  const shown = (element) => element.getClientRects().length > 0;

  // A field hidden behind its own editor (the report's <textarea> under the rich editor, which
  // record.js names "<id>-editor") is reached through that editor.
  const reachable = (field) => {
    if (shown(field)) return field;
    const editor = field.id ? document.getElementById(`${field.id}-editor`) : null;
    return editor && shown(editor) ? editor : null;
  };

  const nothingFocused = () =>
    !document.activeElement || document.activeElement === document.body;

  const focusFirstInvalid = (root) => {
    if (!nothingFocused()) return; // the person (or autofocus) is somewhere already
    for (const field of root.querySelectorAll('[aria-invalid="true"]')) {
      const target = reachable(field);
      if (!target) continue;
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "center" });
      return;
    }
  };

  // On load: after the other deferred scripts (record.js sets up the editor) and the browser's
  // autofocus. A field the server focused is brought to the middle, its error with it.
  window.addEventListener("load", () =>
    requestAnimationFrame(() => {
      const active = document.activeElement;
      const invalid = active && active.closest('[aria-invalid="true"], [autofocus], .rich-editor');
      if (invalid && active !== document.body) active.scrollIntoView({ block: "center" });
      focusFirstInvalid(document);
    }),
  );
  // After an htmx swap (a form answered 422): only when the swap took the focus away.
  document.addEventListener("htmx:afterSettle", (event) => {
    const root = event.detail && event.detail.elt instanceof Element ? event.detail.elt : document;
    requestAnimationFrame(() => focusFirstInvalid(root));
  });
})();
