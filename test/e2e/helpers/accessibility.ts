// Accessible names, checked in Chromium's own accessibility tree (over CDP) rather than guessed from the DOM.
import type { Page } from 'playwright'

interface AxNode {
  ignored: boolean
  role?: { value?: unknown }
  name?: { value?: unknown }
  backendDOMNodeId?: number
}

/** Controls the agent can operate, which a screen reader announces by name. */
const NAMED_ROLES = new Set([
  'button',
  'textbox',
  'searchbox',
  'combobox',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'link',
  'menuitem',
  'tab',
  'listbox',
])

/**
 * Every control in Chromium's accessibility tree without an accessible name, described by its test id or
 * tag. Throws if the tree has hardly any controls: then the check itself is broken, not the page fine.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AxNode[] }
    const unnamed: string[] = []
    let controls = 0
    for (const node of nodes) {
      const role = String(node.role?.value ?? '')
      if (node.ignored || !NAMED_ROLES.has(role)) continue
      controls++
      if (String(node.name?.value ?? '').trim() !== '') continue
      let what = role
      if (node.backendDOMNodeId !== undefined) {
        const { node: dom } = await cdp.send('DOM.describeNode', { backendNodeId: node.backendDOMNodeId })
        const attributes = dom.attributes ?? []
        const testId = attributes[attributes.indexOf('data-testid') + 1]
        what = `${role} <${dom.localName}${attributes.includes('data-testid') ? ` data-testid="${testId}"` : ''}>`
      }
      unnamed.push(what)
    }
    if (controls < 5) throw new Error(`only ${controls} controls in the accessibility tree`)
    return unnamed
  } finally {
    await cdp.detach()
  }
}
