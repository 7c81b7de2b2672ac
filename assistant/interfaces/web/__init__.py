"""The gradio web UI: server, login and one module per tab."""
