"""Storage and retrieval: vector store, lexical index, document registry, hybrid search."""
