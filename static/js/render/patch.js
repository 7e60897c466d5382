// Redraw in place: a renderer builds its new content as usual, then `patchChildren` makes the
// page's element show it while keeping every node that is still the same thing (same tag, same
// data key). A view redrawn five times a second while training would otherwise replace the
// element a student has focused, hovered or scrolled, and the keyboard would fall back to <body>.

const KEYS = ['unitMap', 'layer', 'openLayer'];

/** The same thing: same node type and tag, and the same data key where either has one. */
function sameThing(old, fresh) {
  if (old.nodeType !== fresh.nodeType || old.nodeName !== fresh.nodeName) return false;
  if (old.nodeType !== Node.ELEMENT_NODE) return true;
  return KEYS.every((key) => old.dataset[key] === fresh.dataset[key]);
}

/** Copy `fresh`'s attributes onto `old` (only those that differ: a canvas's width, even set to
 * the same value, would clear its pixels). */
function patchAttributes(old, fresh) {
  for (const name of old.getAttributeNames()) if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  for (const name of fresh.getAttributeNames()) {
    const value = fresh.getAttribute(name);
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
}

function patchNode(old, fresh) {
  if (old.nodeType !== Node.ELEMENT_NODE) {
    if (old.nodeValue !== fresh.nodeValue) old.nodeValue = fresh.nodeValue;
    return;
  }
  patchAttributes(old, fresh);
  if (old instanceof HTMLCanvasElement) {
    const context = old.getContext('2d');
    context.clearRect(0, 0, old.width, old.height);
    context.drawImage(fresh, 0, 0);
    return;
  }
  patchChildren(old, [...fresh.childNodes]);
}

/** Make `parent`'s children show `nodes` (new, detached nodes), reusing each child in place
 * that is the same thing as the node at its position; the rest are replaced, added or removed. */
export function patchChildren(parent, nodes) {
  const before = [...parent.childNodes];
  nodes.forEach((fresh, i) => {
    const old = before[i];
    if (old && sameThing(old, fresh)) patchNode(old, fresh);
    else if (old) parent.replaceChild(fresh, old);
    else parent.append(fresh);
  });
  for (const old of before.slice(nodes.length)) old.remove();
}
