/** The shipped notes, plus one with angle-bracket placeholders (`<none>`, `<pod-name>`) that must survive rendering. */
export const NOTES = ['knowledge', 'test/contract/notes'];
