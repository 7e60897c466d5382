// What the page shares with the server (colours, the data window, limits, defaults), sent once
// as JSON in every page by app/web/constants.py: never a hand copy of a Python value.

const block = document.getElementById('layerwarp-constants');

export const CONSTANTS = Object.freeze(JSON.parse(block.textContent));
