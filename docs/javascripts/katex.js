// Render the math that pymdownx.arithmatex marks, with the KaTeX files shipped beside the
// site (docs/assets/katex): no CDN at view time. Material's document$ re-runs this on
// instant navigation.
function renderMath(body) {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  });
}
if (typeof document$ !== "undefined") {
  document$.subscribe(({ body }) => renderMath(body));
} else {
  document.addEventListener("DOMContentLoaded", () => renderMath(document.body));
}
