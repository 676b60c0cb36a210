"""Names the library, the CLI and the pages share: the default embedding and the course words."""

DEFAULT_EMBEDDING = "w2v-news-31k"  # Google News word2vec, 31,530 words x 300

# the 26 words of the course's distance exercise (the Distances page and lesson 1)
COURSE_WORDS = (
    "woman", "man", "boy", "girl", "doctor", "nurse", "programmer", "homemaker", "queen", "king",
    "receptionist", "librarian", "socialite", "hairdresser", "nanny", "bookkeeper", "stylist",
    "maestro", "protege", "philosopher", "captain", "architect", "surgeon", "brilliant",
    "mother", "father",
)
