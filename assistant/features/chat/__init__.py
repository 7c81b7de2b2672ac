"""Questions and answers: extractive and generated answers, conversations, feedback."""
