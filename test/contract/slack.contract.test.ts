import { contractSuite } from './scenarios.js';
import { slackDriver } from './slack.driver.js';

contractSuite('slack', slackDriver);
