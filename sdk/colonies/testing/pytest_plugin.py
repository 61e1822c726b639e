"""pytest plugin: fixtures that give a test a ColonyOS server and a throwaway colony."""
