// The theme preference lives in localStorage ("light" | "dark" | "system", default system).
// THEME_SCRIPT runs inline in <head> before the body paints, so there is no light flash in
// dark mode; ThemeToggle writes the preference and re-applies it.
export const THEME_STORAGE_KEY = "capreg-theme";

export type ThemePreference = "light" | "dark" | "system";

export const THEME_SCRIPT = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");if(t!=="light"&&t!=="dark")t="system";var d=t==="dark"||(t==="system"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.dataset.theme=t;}catch(e){}})();`;
