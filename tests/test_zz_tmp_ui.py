import gradio as gr
def test_blocks():
    with gr.Blocks(), gr.Tab("x"):
        gr.Markdown("a")
def test_request():
    gr.Request()
