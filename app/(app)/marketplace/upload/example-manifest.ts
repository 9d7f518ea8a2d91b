// The manifest "Start from an example" puts in the upload editor: small, valid, offline.
export const EXAMPLE_MANIFEST = `slug: word-counter
name: Word Counter
icon: "🔢"
version: 1.0.0
category: text
tags: [text, words, example]
description: Counts the words and characters of a text. Runs in the sandbox and needs no network.
permissions: [compute.light]
actions:
  - id: count
    name: Count words
    inputs:
      - { name: text, type: string, required: true, description: The text to count }
    outputs:
      - { name: words, type: number }
      - { name: characters, type: number }
examples:
  - action: count
    input: { text: "one two three" }
    expected_output: { words: 3, characters: 13 }
source: |
  export default {
    actions: {
      async count({ text }) {
        const s = String(text ?? "");
        return { words: s.trim() ? s.trim().split(/\\s+/).length : 0, characters: s.length };
      },
    },
  };
`;
