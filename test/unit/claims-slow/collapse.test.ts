/** The slow claims group "collapse" (see ../claim-group-check.ts), in a file of its own so that it runs beside the others. */
import { checkGroup } from '../claim-group-check.ts';

checkGroup('collapse');
