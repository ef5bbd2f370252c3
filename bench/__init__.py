"""The portal's benchmark: a synthetic newsroom, builds and searches measured."""
