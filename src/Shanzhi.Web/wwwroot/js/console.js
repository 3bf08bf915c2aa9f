// Page-wide helpers of the staff console, loaded as a classic script before blazor.web.js.
window.shanzhiConsole = {
    // Browser tests wait for data-ready (and data-page) instead of sleeping: a click on a
    // prerendered page before its circuit has connected is lost.
    markReady(page) {
        document.body.dataset.page = page;
        document.body.dataset.ready = "true";
    },
};

// The reconnect dialog's "refresh" links; an inline javascript: URL would break the script policy.
document.addEventListener("click", event => {
    if (event.target instanceof Element && event.target.closest("[data-sz-reload]")) {
        event.preventDefault();
        location.reload();
    }
});
