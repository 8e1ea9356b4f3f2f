"""The formats of our languages where Django's own are not what a Vietnamese office writes
(`FORMAT_MODULE_PATH`); English keeps Django's."""
