// Fixture tests of the rules on ARM JSON templates (markers inline; see test/helpers/fixtures.ts).
import { fixtureTests } from '../helpers/fixtures';

fixtureTests('test/arm/fixtures');
