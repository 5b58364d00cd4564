/**
 * The JGit adapter for Git state stores: fetches the head of one branch (depth 1) into a private
 * bare repository that may be kept between runs as a cache, edits the next tree by path in memory
 * (never a work tree), and pushes one commit per pass with the expected old commit id
 * (compare-and-swap). Also fetches one commit of a platform repo given as a Git URL
 * ({@link dev.kbr.state.git.GitPlatformRepo}), with the same credentials and trust, for the
 * {@code load} package to read without a checkout. For {@code authMethod: githubApp} it also asks
 * GitHub's REST API for installation tokens ({@code GitHubAppTokens}, with the
 * JDK's HTTP client). The only package that uses JGit; JGit exceptions are wrapped here and never
 * leave it. May import {@code state}, {@code model}, JGit, Apache MINA SSHD and Jackson.
 */
package dev.kbr.state.git;
