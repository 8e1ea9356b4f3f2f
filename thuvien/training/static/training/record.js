// A button that submits something hard to undo asks first: <button data-confirm="Question?">.
// (app.js does this for whole forms; the report form also has a plain "Save" button.)
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
