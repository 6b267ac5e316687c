/** Which elements an XML text leaves open, and where it could be cut to keep only complete `cutAfter` elements. */
export interface XmlOutline {
  /** Elements opened and never closed, outermost first. */
  open: string[];
  /** The text up to the last complete `cutAfter` element, with the elements still open there closed. */
  closedAtLastComplete?: string;
}

// Comments, CDATA, processing instructions and doctypes are skipped; attribute values may hold '>' or '/'.
const tokenPattern =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/<>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>/g;

function closingTags(open: string[]): string {
  return [...open]
    .reverse()
    .map((name) => `</${name}>`)
    .join('');
}

/** Scans the element structure of an XML text without parsing it, to see whether and where it was cut off. */
export function outlineXml(xml: string, cutAfter: string): XmlOutline {
  const open: string[] = [];
  let cut: { index: number; open: string[] } | undefined;
  for (const match of xml.matchAll(tokenPattern)) {
    const [token, slash, name, , selfClosing] = match;
    if (name === undefined) continue;
    if (slash) {
      const openIndex = open.lastIndexOf(name);
      if (openIndex >= 0) open.length = openIndex;
    } else if (!selfClosing) {
      open.push(name);
      continue;
    }
    if (name === cutAfter) cut = { index: match.index + token.length, open: [...open] };
  }
  return {
    open,
    ...(cut ? { closedAtLastComplete: xml.slice(0, cut.index) + closingTags(cut.open) } : {}),
  };
}
