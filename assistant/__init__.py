"""Assistant: question analysis, answerers, the LangChain chain, CLI."""
