"""Index: embedders, the on-disk store, BM25 + FAISS hybrid search, the LangChain retriever."""
