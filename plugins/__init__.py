"""The built-in presspipe plugins: each registers through the `presspipe` entry-point group."""
