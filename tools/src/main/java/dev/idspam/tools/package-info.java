/**
 * The command line ({@link dev.idspam.tools.Main}, started by {@code ./idspam}): parses options,
 * calls the pipeline and serving, prints results and maps errors to the documented exit statuses.
 *
 * <p>Allowed dependencies: every other project module. The allowed-dependency table of all modules
 * lives in this module's tests ({@code ModuleRules}); {@code ModuleDependenciesTest} checks every
 * module's code and pom against it.
 */
package dev.idspam.tools;
