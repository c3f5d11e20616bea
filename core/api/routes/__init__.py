"""One module per router: documents, batches, export, catalogue (pipelines, plugins, schema), health, pages."""
