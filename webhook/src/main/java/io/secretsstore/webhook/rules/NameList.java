package io.secretsstore.webhook.rules;

import java.util.List;

/**
 * The first few names of a list that may be long, and how many more: a class mounted by 3,000
 * pods must still give a message a person reads to the end.
 */
public final class NameList {

  /** How many names a message shows before it counts the rest. */
  public static final int SHOWN = 5;

  private NameList() {}

  /** {@code a, b, c, d, e and 2 more}. */
  public static String of(List<String> names) {
    List<String> shown = names.subList(0, Math.min(SHOWN, names.size()));
    String list = String.join(", ", shown);
    int more = names.size() - shown.size();
    return more > 0 ? list + " and " + more + " more" : list;
  }

  /** {@code 7 pods (a, b, c, d, e and 2 more)}. */
  public static String counted(String noun, List<String> names) {
    return names.size() + " " + noun + (names.size() == 1 ? "" : "s") + " (" + of(names) + ")";
  }
}
