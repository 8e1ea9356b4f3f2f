// The QR poster's "Print" button (inline handlers are forbidden by the Content Security Policy).
document.addEventListener("click", (event) => {
  const target = event.target;
  if (target instanceof HTMLElement && target.hasAttribute("data-print")) {
    window.print();
  }
});
