// Accessibility fixes to sphinx-book-theme 1.3.0's own markup (axe-core):
// controls whose accessible name does not match their visible text, sidebar
// toggles without a name, and the title link outside any landmark.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons and toggles that show text (the search field's "Search Ctrl+K",
  // "Show code cell source") were labelled otherwise ("Search", "Toggle
  // hidden content"): their visible text is the right name. Icon-only ones
  // keep their label.
  for (const control of document.querySelectorAll(
      "button[aria-label], summary[aria-label]")) {
    if (control.textContent.trim()) control.removeAttribute("aria-label");
  }
  // The colour-mode button's icons carry titles ("Light", "Dark") that
  // read as visible text; the button's own label says what it does.
  for (const icon of document.querySelectorAll(".theme-switch-button i")) {
    icon.removeAttribute("title");
    icon.setAttribute("aria-hidden", "true");
  }
  // Expand/collapse toggles of the sidebar's sections are bare icons.
  for (const summary of document.querySelectorAll(".bd-sidenav summary")) {
    const link = summary.closest("li")?.querySelector(":scope > a");
    const name = link ? link.textContent.trim() : "section";
    summary.setAttribute("aria-label", `Pages in ${name}`);
  }
  // The book's title link sits in the sidebar outside its navigation.
  const brand = document.querySelector(".sidebar-primary-item .navbar-brand");
  brand?.parentElement.setAttribute("role", "navigation");
  brand?.parentElement.setAttribute("aria-label", "Book title");
});
