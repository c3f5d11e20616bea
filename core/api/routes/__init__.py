"""One module per router: documents, batches, export, corpus (speakers, entities, quotes, outlets), corpus_export, catalogue (pipelines, plugins, schema), health, pages."""
