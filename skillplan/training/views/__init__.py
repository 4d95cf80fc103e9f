"""The training app's pages, one module per part of a class's life (see ``services``)."""
