"""
One module per golden source (the name of its test/golden/<name>.json file). A module provides:

  CHECKOUT_NAME  name used with --src NAME=DIR, or None when the framework is an installed package
  load(root)     import the framework (root: the --src folder or None); raise staging.Unavailable
                 with the reason when it cannot run here
  configure(spec) -> cfg          the framework's own validation of a spec (phase "config")
  construct(cfg, steps) -> iter   build the framework's object (phase "construct") and return an
                                  iterator of the value at t = 0, 1, ... (phase "evaluate": raises
                                  when the framework raises at that step)
  extras(cfg, steps) -> dict      optional: more recorded fields of a case (noether's value_at_steps)

configure/construct let exceptions of the framework through unchanged: the driver compares them
with rejects.json. Values are what the framework computes, converted with float() only.
"""
