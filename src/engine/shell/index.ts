export * from './session';
export { runShell, shellCompletions, shellPrompt, SHELL_COMMANDS } from './shell';
