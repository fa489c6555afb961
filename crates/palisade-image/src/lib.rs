//! Container images: sources, layers and the files catalogers need.
