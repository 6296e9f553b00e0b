// Marks around the matched words in a search snippet. Private-use code points never occur in normal
// text and survive JSON, IPC and HTML escaping unchanged, so the UI can split on them and highlight
// safely, without parsing anything that a customer could have typed (unlike `[[`, `<b>` or `**`).
export const HIT_START = '\uE000'
export const HIT_END = '\uE001'
