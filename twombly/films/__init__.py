"""Films: the reviewed films and their people, the watch diary, Letterboxd in and out."""
