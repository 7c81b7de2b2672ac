"""Turn files into chunks with metadata (LangChain ``Document``s). Stores nothing."""
