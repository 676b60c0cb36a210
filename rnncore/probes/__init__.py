"""Probes: templates x groups -> model outputs -> gaps with uncertainty (import the submodules).

``inputs`` (templates, groups, uploads), ``stats`` (gap, bootstrap CI, permutation p),
``sentiment`` (group gaps of any sentiment scorer), ``lm`` (pronoun ratios by profession).
"""
