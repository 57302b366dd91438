// Fixture tests of the rules on Terraform (markers inline; see test/helpers/fixtures.ts). Each
// case is its own folder, because every .tf of a folder belongs to one module.
import { fixtureTests } from '../helpers/fixtures';

fixtureTests('test/terraform/fixtures');
