/**
 * Who owns what a kbr run leaves on the machine (pipeline containers, temporary folders), so the
 * next run can remove what a killed run left behind without touching what a live run is using.
 * Depends on nothing but the JDK; the adapters use it.
 */
package dev.kbr.run;
