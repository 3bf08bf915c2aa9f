// Reads the platform's JSON API from the browser, so requests carry the user's sign-in cookie.
export async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) {
        throw new Error(`GET ${url} answered HTTP ${response.status}`);
    }
    return response.json();
}

// Scripts are loaded on first use: only the pages with a map or a chart pay for them.
const pending = new Map();

export function loadScript(src) {
    if (!pending.has(src)) {
        pending.set(src, new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = src;
            script.onload = resolve;
            script.onerror = () => reject(new Error(`Could not load ${src}`));
            document.head.appendChild(script);
        }));
    }
    return pending.get(src);
}
