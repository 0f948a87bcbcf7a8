import { contractSuite } from './scenarios.js';
import { terminalDriver } from './terminal.driver.js';

contractSuite('terminal', terminalDriver);
