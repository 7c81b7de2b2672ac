"""The language model: chat model, prompt messages, injection guard and citation check."""
