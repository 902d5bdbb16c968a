"""SổTrường's models: one package per area of the school; see README, "How the code is laid out"."""
