import { contractSuite } from './scenarios.js';
import { discordDriver } from './discord.driver.js';

contractSuite('discord', discordDriver);
