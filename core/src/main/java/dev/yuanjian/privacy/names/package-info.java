/**
 * Person names, places and organisations in text (the named-entity layer of
 * {@link dev.yuanjian.privacy}): {@link dev.yuanjian.privacy.names.ChineseNameRecognizer} over HanLP
 * portable's dictionaries and person role tagger, filtered; {@link
 * dev.yuanjian.privacy.names.EnglishNameRecognizer} from a given-name gazetteer and cues.
 * {@link dev.yuanjian.privacy.names.Names#defaults()} gives both.
 *
 * <p>Owns: HanLP's loading and its pinned configuration (dictionaries read from its jar only, no file
 * ever written), the filters on its output, the English gazetteer. Must not touch: rule recognizers
 * (numbers, IDs, addresses), placeholders and their maps, anything outside text in and findings out.
 */
package dev.yuanjian.privacy.names;
